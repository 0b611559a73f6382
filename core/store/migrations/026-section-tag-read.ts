import type { Migration } from './migration.js';

/**
 * Whether a section's file has been read for its resolution tag (task 26-D). Migration 024 began storing the tag at
 * import, but left NULL both for "read, no believed tag" and for "imported before, never read": the older sections'
 * scales were never checked against their files. `tag_read`: 'read' (the tag column holds what the file says),
 * 'pending' (not read yet: the sections service reads the stored file's header the next time the section is shown or
 * its pixels are opened, core/services/sections/section-tag-backfill.ts), 'unreadable' (the stored file was gone or
 * damaged then; not tried again). Rows with a stored tag were read; rows without one are pending, because nothing tells a pre-024
 * row from a later untagged one (a second read of an untagged file finds the same nothing, once).
 */
export const m026SectionTagRead: Migration = {
  version: 26,
  name: "whether a section's file was read for its resolution tag",
  up: (db) => {
    db.exec(`ALTER TABLE images ADD COLUMN tag_read TEXT NOT NULL DEFAULT 'pending' CHECK (tag_read IN ('pending', 'read', 'unreadable'));
             UPDATE images SET tag_read = 'read' WHERE tag_px_per_inch IS NOT NULL;`);
  },
};
