export * from './class-folder.js';
export * from './data-root.js';
export type { FfmpegPaths } from './ffmpeg.js';
export * from './frame.js';
export * from './image.js';
export * from './lfw.js';
export * from './sources.js';
export * from './video.js';
