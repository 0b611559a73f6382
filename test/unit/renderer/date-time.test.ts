import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../../renderer/src/lib/date-time.js';

describe('stored times in the interface language', () => {
  // noon UTC: the same calendar day in every time zone from UTC−11 to UTC+11
  const iso = '2026-12-02T12:00:00.000Z';
  it("write the date as the language's locale does: day/month/year in English (en-GB), not the US order a bare 'en' gave", () => {
    expect(formatDateTime(iso, 'en').startsWith('02/12/2026')).toBe(true);
    expect(new Date(iso).toLocaleString('en').startsWith('12/2/2026')).toBe(true); // what the tables wrote before
    expect(formatDateTime(iso, 'it').startsWith('02/12/2026')).toBe(true);
    expect(formatDateTime(iso, 'zh').startsWith('2026/12/2')).toBe(true);
  });
});
