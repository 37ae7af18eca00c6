// The viewer page: shows the input, draws the avatar from each decoded frame, shows the numbers,
// reports draw times back, and can stream the visitor's camera to the demo server.
import { countForegroundPixels, createAvatarRenderer, Framing } from './avatar-renderer.js';
import { BinaryKind, decodeBinaryMessage, encodeBinaryMessage } from './viewer-messages.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const renderer = createAvatarRenderer($('avatar'), params.get('renderer') ?? 'webgl');
$('renderer').textContent = renderer.name;
const framing = new Framing();

const state = { drawn: 0, stats: null, latest: null, inputUrl: null, camera: null };
/** For tests: live numbers and a pixel probe. */
window.semfaceViewer = {
  state,
  renderer: renderer.name,
  foregroundPixels: () => countForegroundPixels(renderer.canvas),
};

const fmt = (x, digits = 1) => (x === null || x === undefined ? '–' : Number(x).toFixed(digits));

const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
ws.binaryType = 'arraybuffer';
ws.onopen = () => {
  $('status').textContent = 'connected';
};
ws.onclose = () => {
  $('status').textContent = 'disconnected (demo stopped?)';
};
ws.onmessage = (ev) => {
  const receivedAt = performance.now();
  if (typeof ev.data === 'string') return onJson(JSON.parse(ev.data));
  const m = decodeBinaryMessage(ev.data);
  if (m.kind === BinaryKind.inputFrame) {
    if (state.camera) return;
    if (state.inputUrl) URL.revokeObjectURL(state.inputUrl);
    state.inputUrl = URL.createObjectURL(new Blob([m.payload], { type: 'image/jpeg' }));
    $('input-frame').src = state.inputUrl;
    $('input-label').textContent = m.header.label;
  } else if (m.kind === BinaryKind.avatarMesh) {
    const n = m.header.vertexCount;
    // Copy out of the message buffer: positions must be 4-byte aligned for Float32Array.
    const positions = new Float32Array(ev.data.slice(m.payloadOffset, m.payloadOffset + n * 12));
    const colors = new Uint8Array(ev.data, m.payloadOffset + n * 12, n * 3);
    state.latest = { header: m.header, positions, colors, receivedAt };
    requestAnimationFrame(draw);
  }
};

function onJson(m) {
  if (m.type === 'hello') {
    renderer.setTriangles(m.triangles);
    $('codec-model').textContent = m.codecModelId;
    $('face-model').textContent = m.faceModel;
    $('status').textContent = `connected: ${m.input}`;
  } else if (m.type === 'stats') {
    state.stats = m;
    $('bitrate').textContent = fmt(m.bitrateKbps, 2);
    $('bits-last').textContent = fmt(m.bitsPerFrame.last, 0);
    $('bits-mean').textContent = fmt(m.bitsPerFrame.mean, 0);
    $('frames').textContent = m.frames;
    $('keys').textContent = m.keyFrames;
    $('lat-decoded').textContent = fmt(m.captureToDecodedMs.medianMs);
    $('lat-decoded-p99').textContent = fmt(m.captureToDecodedMs.p99Ms);
    $('lat-drawn').textContent = fmt(m.captureToDrawnMs.medianMs);
    $('lat-drawn-p99').textContent = fmt(m.captureToDrawnMs.p99Ms);
    $('lat-camera').textContent = m.cameraToDrawnMs.count ? fmt(m.cameraToDrawnMs.medianMs) : 'n/a';
    $('extract').textContent = fmt(m.extractMs.medianMs);
    $('expression').textContent = m.expression;
    $('verification').textContent = m.verification;
  }
}

function draw() {
  const f = state.latest;
  if (!f) return;
  state.latest = null;
  const n = f.header.vertexCount;
  framing.update(f.positions, n);
  renderer.draw(f.positions, f.colors, framing);
  state.drawn++;
  $('drawn').textContent = state.drawn;
  const now = performance.now();
  const report = { type: 'drawn', seq: f.header.seq, delayMs: now - f.receivedAt };
  const cam =
    state.camera && f.header.cameraFrameId !== undefined
      ? state.camera.sentAt.get(f.header.cameraFrameId)
      : undefined;
  if (cam !== undefined) report.e2eMs = now - cam;
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(report));
}

// --- camera mode: grab frames, send downscaled JPEGs, the server streams them through the relay ---
const CAMERA_WIDTH = 320;
const CAMERA_FPS = 15;

async function startCamera() {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { width: 640, height: 480 },
    audio: false,
  });
  const video = $('camera');
  video.srcObject = stream;
  video.hidden = false;
  $('input-frame').hidden = true;
  $('input-label').textContent = 'your camera';
  const canvas = document.createElement('canvas');
  const cam = { stream, nextId: 0, sentAt: new Map(), timer: 0 };
  state.camera = cam;
  ws.send(JSON.stringify({ type: 'camera', on: true }));
  cam.timer = setInterval(() => {
    if (!video.videoWidth || ws.bufferedAmount > 256 * 1024) return;
    canvas.width = CAMERA_WIDTH;
    canvas.height = Math.round((CAMERA_WIDTH * video.videoHeight) / video.videoWidth);
    canvas.getContext('2d').drawImage(video, 0, 0, canvas.width, canvas.height);
    const id = cam.nextId++;
    const grabbedAt = performance.now();
    canvas.toBlob(
      async (blob) => {
        if (!blob || state.camera !== cam) return;
        cam.sentAt.set(id, grabbedAt);
        cam.sentAt.delete(id - 300);
        ws.send(
          encodeBinaryMessage(BinaryKind.cameraFrame, { id }, new Uint8Array(await blob.arrayBuffer())),
        );
      },
      'image/jpeg',
      0.75,
    );
  }, 1000 / CAMERA_FPS);
  $('camera-toggle').textContent = 'Stop camera';
}

function stopCamera() {
  const cam = state.camera;
  if (!cam) return;
  clearInterval(cam.timer);
  for (const t of cam.stream.getTracks()) t.stop();
  state.camera = null;
  ws.send(JSON.stringify({ type: 'camera', on: false }));
  $('camera').hidden = true;
  $('input-frame').hidden = false;
  $('camera-toggle').textContent = 'Use my camera';
}

$('camera-toggle').onclick = () => {
  if (state.camera) stopCamera();
  else
    startCamera().catch((err) => {
      $('status').textContent = `camera: ${err.message}`;
    });
};
