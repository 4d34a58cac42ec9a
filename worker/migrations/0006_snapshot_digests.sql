-- The SHA-256 of a snapshot's bytes, once a first download has streamed them. A version's bytes never change,
-- so the digest (and the body signature made from it) holds for every later download, cached or rebuilt.
CREATE TABLE snapshot_digests (
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  PRIMARY KEY (version, name)
);
