/**
 * The engine's public API — the only import path for the worker, the CLI and tests.
 * One engine, several hosts: the Web Worker (src/worker) and the Node CLI (src/cli) both
 * wrap a CaptureSession around their own ByteSource; nothing here knows which host it runs in.
 */
export type { ByteSource } from './bytes/source';
export { MemorySource } from './bytes/source';
export { fingerprint, FINGERPRINT_BYTES } from './bytes/fingerprint';
export { CaptureSession } from './session';
export type { LoadOptions } from './session';
export type * from './model/types';
export { readRows, readRowsOf, readColumnsOf, protocolFromColumns, MAX_ROWS_PER_CALL, DEFAULT_ROW_OPTS, type RowOpts, type TextColumn } from './fields/rows';
export { TIME_FORMATS, DEFAULT_TIME_VIEW, isTimeFormat, type TimeFormat, type TimeView } from './fields/time-format';
export { expertCounts } from './fields/expert-tally';
export { readDetail } from './fields/detail';
export { formatDiagnoses } from './diagnose/report';
