// Which schemaVersion of each file kind rcuwalk reads and writes.

/** The schemaVersion rcuwalk writes captures in. 2 added bpftrace's error records and lost events per interval. */
export const CAPTURE_SCHEMA_VERSION = 2;

/** The schemaVersions each schema file is read in (files not named: 1 only). */
export const SCHEMA_VERSIONS: Readonly<Record<string, readonly number[]>> = { 'capture.schema.json': [1, CAPTURE_SCHEMA_VERSION] };
