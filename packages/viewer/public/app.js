// The viewer page: shows the input, draws the avatar from each decoded frame, shows the numbers,
// reports draw times back, and can stream the visitor's camera to the demo server.
// Decoding: `?decode=browser` (the default when the server offers it) joins the relay room itself and
// decodes, runs the heads and builds the mesh in the page (build/semface-browser.js, onnxruntime-web);
// `?decode=server` draws the meshes the demo server decoded.
import { countForegroundPixels, createAvatarRenderer, Framing } from './avatar-renderer.js';
import { BinaryKind, decodeBinaryMessage, encodeBinaryMessage } from './viewer-messages.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const renderer = createAvatarRenderer($('avatar'), params.get('renderer') ?? 'webgl');
$('renderer').textContent = renderer.name;
const framing = new Framing();

const state = { drawn: 0, stats: null, latest: null, inputUrl: null, camera: null };
const requested = params.get('decode');
/** The page's own decoder (browser mode): counts, last results, recent descriptors by seq. */
const browser = {
  mode: 'pending',
  decoder: null,
  error: null,
  decoded: 0,
  heads: 0,
  expression: null,
  verification: null,
  descriptors: new Map(),
  decodeMs: new Map(),
  seqCamera: new Map(),
  drawnAt: new Map(),
};
/**
 * The VRM avatar (build/semface-vrm.js: three.js + three-vrm + the SDK rig), driven by the descriptors
 * this page decodes; needs page decoding (the server sends meshes, not descriptors). A dropped .vrm
 * file replaces the built-in avatar.
 */
const vrm = {
  view: null,
  error: null,
  queued: null,
  drive(descriptor) {
    if (vrm.view) vrm.view.drive(descriptor);
    else vrm.queued = descriptor;
  },
  async load(file) {
    if (!vrm.view) return;
    try {
      await vrm.view.loadVrm(await file.arrayBuffer(), file.name);
      $('vrm-label').textContent = vrm.view.label;
    } catch (err) {
      vrm.error = err.message;
      $('vrm-label').textContent = `could not load ${file.name}: ${err.message}`;
    }
  },
};
import('./build/semface-vrm.js')
  .then(({ createVrmView }) => createVrmView($('vrm')))
  .then((view) => {
    vrm.view = view;
    $('vrm-label').textContent = view.label;
    if (vrm.queued) view.drive(vrm.queued);
  })
  .catch((err) => {
    vrm.error = err.message;
    $('vrm-label').textContent = `unavailable: ${err.message}`;
  });
const vrmPanel = $('vrm-panel');
vrmPanel.addEventListener('dragover', (ev) => {
  ev.preventDefault();
  vrmPanel.classList.add('dragging');
});
vrmPanel.addEventListener('dragleave', () => vrmPanel.classList.remove('dragging'));
vrmPanel.addEventListener('drop', (ev) => {
  ev.preventDefault();
  vrmPanel.classList.remove('dragging');
  const file = ev.dataTransfer?.files?.[0];
  if (file) vrm.load(file);
});
$('vrm-file').addEventListener('change', (ev) => {
  const file = ev.target.files?.[0];
  if (file) vrm.load(file);
});

/** For tests: live numbers and a pixel probe. */
window.semfaceViewer = {
  state,
  browser,
  vrm,
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
    if (browser.mode !== 'server') return;
    const n = m.header.vertexCount;
    // Copy out of the message buffer: positions must be 4-byte aligned for Float32Array.
    const positions = new Float32Array(ev.data.slice(m.payloadOffset, m.payloadOffset + n * 12));
    const colors = new Uint8Array(ev.data, m.payloadOffset + n * 12, n * 3);
    state.latest = { header: m.header, positions, colors, receivedAt };
    requestAnimationFrame(draw);
  }
};

function setDecodeSide(mode, text) {
  browser.mode = mode;
  $('decoder').textContent = text;
}

async function startBrowserDecode(cfg) {
  const { startBrowserDecode: start } = await import('./build/semface-browser.js');
  const relayUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.hostname}:${cfg.relayPort}/v1/relay`;
  browser.decoder = await start(
    { ...cfg, relayUrl },
    {
      avatar(a) {
        browser.decoded++;
        vrm.drive(a.descriptor);
        browser.descriptors.set(a.seq, a.descriptor);
        browser.decodeMs.set(a.seq, a.decodeMs);
        browser.decodeMs.delete(a.seq - 100);
        browser.descriptors.delete(a.seq - 100);
        if (browser.decoded % 10 === 1 && ws.readyState === WebSocket.OPEN) {
          ws.send(
            JSON.stringify({ type: 'browserDescriptor', seq: a.seq, descriptor: Array.from(a.descriptor) }),
          );
        }
        $('frames-page').textContent = browser.decoded;
        state.latest = {
          header: { seq: a.seq, vertexCount: a.positions.length / 3 },
          positions: a.positions,
          colors: a.colors,
          receivedAt: performance.now(),
          browser: { decodeMs: a.decodeMs, meshMs: a.meshMs },
          latencyMs: a.latencyMs,
        };
        requestAnimationFrame(draw);
      },
      understanding(u) {
        browser.heads++;
        if (u.expression) {
          browser.expression = u.expression;
          $('expression').textContent =
            `${u.expression.label} (${u.expression.probability.toFixed(2)}) · page`;
        }
        if (u.verification) {
          browser.verification = u.verification;
          const v = u.verification;
          $('verification').textContent =
            `${v.same ? 'same person' : 'different person'}, distance ${v.distance.toFixed(3)}, threshold ${v.threshold.toFixed(3)} (vs first face) · page`;
        }
        if (ws.readyState === WebSocket.OPEN) {
          ws.send(
            JSON.stringify({
              type: 'browserHeads',
              seq: u.seq,
              headsMs: u.headsMs,
              decodeMs: browser.decodeMs.get(u.seq),
              label: u.expression?.label,
            }),
          );
        }
      },
      error(err) {
        browser.error = `${err.code ?? err.name}: ${err.message}`;
      },
    },
  );
  setDecodeSide('browser', `this page (onnxruntime-web wasm${browser.decoder.heads ? ', heads too' : ''})`);
}

function onJson(m) {
  if (m.type === 'sent') {
    // Browser mode: which camera frame a seq carries (may come before or after the page drew it).
    browser.seqCamera.set(m.seq, m.cameraFrameId);
    browser.seqCamera.delete(m.seq - 1000);
    const drawnAt = browser.drawnAt.get(m.seq);
    if (drawnAt !== undefined) reportCameraDrawn(m.seq, drawnAt);
    return;
  }
  if (m.type === 'hello') {
    renderer.setTriangles(m.triangles);
    const offer = m.browserDecode;
    if (requested !== 'server' && offer?.available) {
      setDecodeSide('starting', 'this page (loading models…)');
      startBrowserDecode(offer).catch((err) => {
        browser.error = `${err.code ?? err.name}: ${err.message}`;
        setDecodeSide('server', `server (page decoding failed: ${browser.error})`);
      });
    } else {
      const why = requested === 'server' ? 'as requested' : (offer?.reason ?? 'page decoding not offered');
      setDecodeSide('server', `server (${why})`);
      $('vrm-hint').textContent =
        'The VRM avatar needs page decoding (descriptors): open the page without ?decode=server.';
    }
    $('codec-model').textContent = m.codecModelId;
    $('face-model').textContent = m.faceModel;
    $('status').textContent = `connected: ${m.input}`;
  } else if (m.type === 'stats') {
    state.stats = m;
    $('bitrate').textContent = fmt(m.bitrateKbps, 2);
    $('wire-down').textContent = fmt(m.wireKbps.down, 2);
    $('wire-up').textContent = fmt(m.wireKbps.up, 2);
    $('wire-protocol').textContent = m.wireProtocol;
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
    if (browser.mode === 'server') {
      $('expression').textContent = m.expression;
      $('verification').textContent = m.verification;
    }
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
  if (f.browser) {
    if (ws.readyState === WebSocket.OPEN) {
      // The page decoded this frame itself: capture -> decoded (relay clock) plus the wait for the draw.
      const captureToDrawnMs = f.latencyMs + (now - f.receivedAt);
      ws.send(
        JSON.stringify({
          type: 'drawn',
          decoder: 'browser',
          seq: f.header.seq,
          captureToDrawnMs,
          ...f.browser,
        }),
      );
    }
    $('page-decode').textContent = `${fmt(f.browser.decodeMs)} ms decode, ${fmt(f.browser.meshMs)} ms mesh`;
    if (state.camera) {
      browser.drawnAt.set(f.header.seq, now);
      browser.drawnAt.delete(f.header.seq - 1000);
      if (browser.seqCamera.has(f.header.seq)) reportCameraDrawn(f.header.seq, now);
    }
    return;
  }
  const report = { type: 'drawn', seq: f.header.seq, delayMs: now - f.receivedAt };
  const cam =
    state.camera && f.header.cameraFrameId !== undefined
      ? state.camera.sentAt.get(f.header.cameraFrameId)
      : undefined;
  if (cam !== undefined) report.e2eMs = now - cam;
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(report));
}

/** Browser mode: camera frame grabbed -> its avatar drawn, once both ends are known. */
function reportCameraDrawn(seq, drawnAt) {
  browser.drawnAt.delete(seq);
  const grabbed = state.camera?.sentAt.get(browser.seqCamera.get(seq));
  if (grabbed === undefined) return;
  const e2eMs = drawnAt - grabbed;
  state.cameraToDrawn = (state.cameraToDrawn ?? 0) + 1;
  $('lat-camera-page').textContent = fmt(e2eMs);
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'browserCamera', e2eMs }));
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
