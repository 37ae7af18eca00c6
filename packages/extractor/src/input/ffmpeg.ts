import { type ChildProcess, spawn } from 'node:child_process';
import { FfmpegMissingError } from '../errors.js';

/** Where to find the ffmpeg tools; both default to the `PATH` lookup unless the env overrides. */
export interface FfmpegPaths {
  /** ffmpeg binary. Default: env `SEMFACE_FFMPEG`, else `ffmpeg` on the PATH. */
  readonly ffmpegPath?: string;
  /** ffprobe binary. Default: env `SEMFACE_FFPROBE`, else `ffprobe` on the PATH. */
  readonly ffprobePath?: string;
}

/** Resolves the ffmpeg binary path from options and environment. */
export function ffmpegBinary(paths?: FfmpegPaths): string {
  return paths?.ffmpegPath ?? process.env.SEMFACE_FFMPEG ?? 'ffmpeg';
}

/** Resolves the ffprobe binary path from options and environment. */
export function ffprobeBinary(paths?: FfmpegPaths): string {
  return paths?.ffprobePath ?? process.env.SEMFACE_FFPROBE ?? 'ffprobe';
}

/**
 * Spawns a tool and waits until it has actually started, so a missing binary surfaces as
 * FfmpegMissingError (SEMFACE_ERR_FFMPEG_MISSING) instead of a late stream error.
 */
export function spawnTool(binary: string, args: readonly string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(err.code === 'ENOENT' || err.code === 'EACCES' ? new FfmpegMissingError(binary) : err);
    };
    child.once('error', onError);
    child.once('spawn', () => {
      child.off('error', onError);
      resolve(child);
    });
  });
}

/** Resolves with the exit code (or null when killed by a signal) once the process has exited. */
export function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('close', (code) => resolve(code));
  });
}

/** Keeps the last `limit` characters of a stream's text, for error messages. */
export function collectTail(stream: NodeJS.ReadableStream | null, limit = 4000): () => string {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    text = (text + chunk).slice(-limit);
  });
  return () => text.trim();
}
