// The schemaVersion rcuwalk writes captures in (the versions it reads are the capture schema's schemaVersion enum).

/** 2 added bpftrace's error records and lost events per interval (schemas/capture.schema.json). */
export const CAPTURE_SCHEMA_VERSION = 2;
