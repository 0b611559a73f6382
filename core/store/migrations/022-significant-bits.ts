import type { Migration } from './migration.js';

/**
 * A section's declared significant bits (task 22-C): a 12-bit camera's values stored unscaled in a 16-bit file are
 * read scaled by 2^(16 − bits) when the lab declares the bits at import. NULL: read as stored (every row before).
 */
export const m022SignificantBits: Migration = {
  version: 22,
  name: 'significant bits of a section image',
  up: (db) => {
    db.exec('ALTER TABLE images ADD COLUMN significant_bits INTEGER');
  },
};
