/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many ran. Append only:
 * a released migration is never edited, a change is a new entry.
 */
export const migrations: readonly string[] = [
  // 1: the first schema.
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

  -- A household may replace its meter; ids stay small so they fit in the reading key.
  CREATE TABLE meters (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, first_ts INTEGER NOT NULL);

  -- Raw readings. key = meter id * 2^42 + timestamp (ms): one rowid b-tree, deduplicated by
  -- (meter, timestamp) for free, appended in key order so SQLite packs its pages full (about
  -- 23 bytes a reading, against 26+ for a WITHOUT ROWID (meter, ts) table). 2^42 ms reaches 2109;
  -- 2^53 / 2^42 leaves 2,047 meters, plenty for one household.
  CREATE TABLE readings (
    key INTEGER PRIMARY KEY,
    import_wh INTEGER NOT NULL,
    export_wh INTEGER,
    power_w INTEGER
  );

  -- Household roll-ups (all meters), one row per bucket that saw a reading or coverage.
  CREATE TABLE rollups (
    level INTEGER NOT NULL,
    start INTEGER NOT NULL,
    import_wh INTEGER NOT NULL,
    export_wh INTEGER NOT NULL,
    covered_ms INTEGER NOT NULL,
    samples INTEGER NOT NULL,
    PRIMARY KEY (level, start)
  ) WITHOUT ROWID;

  -- Counter resets and jumps, keyed by the reading that revealed them.
  CREATE TABLE discontinuities (
    meter INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (meter, ts)
  ) WITHOUT ROWID;
  `,
];
