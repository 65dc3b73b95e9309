/**
 * logging: the Logger interface every room logs through, and the file logger behind it (JSON
 * lines, redacted by the one redactor under its 'local-log' policy, rolled by size, 0600).
 */
export { silentLogger, type Logger } from './logger.js';
export { DEFAULT_LOG_KEEP, DEFAULT_LOG_MAX_BYTES, FileLogger, type FileLoggerOptions } from './file-logger.js';
export { RotatingFile, type RotationOptions } from './rotating-file.js';
