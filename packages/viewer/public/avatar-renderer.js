// Draws the posed avatar mesh (positions in a frame of frameWidth x frameHeight px, x right,
// y down, z away from the camera; per-vertex RGB) as shaded triangles. WebGL when the browser
// has it, canvas 2D (painter's algorithm) otherwise.

const BACKGROUND = [13, 14, 17];

/** Keeps the head framed: a smoothed centre and scale from the mesh's bounding box. */
class Framing {
  cx = 0;
  cy = 0;
  cz = 0;
  size = 0;
  update(pos, n) {
    let x0 = Infinity;
    let y0 = Infinity;
    let z0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    let z1 = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = pos[i * 3];
      const y = pos[i * 3 + 1];
      const z = pos[i * 3 + 2];
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (z < z0) z0 = z;
      if (z > z1) z1 = z;
    }
    const size = Math.max(x1 - x0, y1 - y0, 1e-6);
    // Slow to follow so head turns stay visible as motion, fast on the first frame.
    const k = this.size === 0 ? 1 : 0.05;
    this.cx += k * ((x0 + x1) / 2 - this.cx);
    this.cy += k * ((y0 + y1) / 2 - this.cy);
    this.cz += k * ((z0 + z1) / 2 - this.cz);
    this.size += k * (size - this.size);
  }
  /** Clip-space scale: the head spans about 80% of the canvas. */
  get scale() {
    return 1.6 / this.size;
  }
}

const VERTEX_SHADER = `
attribute vec3 aPos; attribute vec3 aColor;
uniform vec3 uCentre; uniform float uScale;
varying vec3 vColor;
void main() {
  vec3 p = (aPos - uCentre) * uScale;
  gl_Position = vec4(p.x, -p.y, p.z * 0.5, 1.0);
  vColor = aColor;
}`;
const FRAGMENT_SHADER = `
precision mediump float; varying vec3 vColor;
void main() { gl_FragColor = vec4(vColor, 1.0); }`;

class WebGlRenderer {
  name = 'WebGL';
  constructor(canvas, gl) {
    this.canvas = canvas;
    this.gl = gl;
    const compile = (type, src) => {
      const s = gl.createShader(type);
      gl.shaderSource(s, src);
      gl.compileShader(s);
      if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(gl.getShaderInfoLog(s));
      return s;
    };
    const prog = gl.createProgram();
    gl.attachShader(prog, compile(gl.VERTEX_SHADER, VERTEX_SHADER));
    gl.attachShader(prog, compile(gl.FRAGMENT_SHADER, FRAGMENT_SHADER));
    gl.linkProgram(prog);
    if (!gl.getProgramParameter(prog, gl.LINK_STATUS)) throw new Error(gl.getProgramInfoLog(prog));
    gl.useProgram(prog);
    this.aPos = gl.getAttribLocation(prog, 'aPos');
    this.aColor = gl.getAttribLocation(prog, 'aColor');
    this.uCentre = gl.getUniformLocation(prog, 'uCentre');
    this.uScale = gl.getUniformLocation(prog, 'uScale');
    this.posBuf = gl.createBuffer();
    this.colBuf = gl.createBuffer();
    this.idxBuf = gl.createBuffer();
    gl.enable(gl.DEPTH_TEST);
    gl.depthFunc(gl.LEQUAL);
  }
  setTriangles(triangles) {
    const gl = this.gl;
    this.count = triangles.length;
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, this.idxBuf);
    gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, Uint16Array.from(triangles), gl.STATIC_DRAW);
  }
  draw(positions, colors, framing) {
    const gl = this.gl;
    gl.viewport(0, 0, this.canvas.width, this.canvas.height);
    gl.clearColor(BACKGROUND[0] / 255, BACKGROUND[1] / 255, BACKGROUND[2] / 255, 1);
    gl.clear(gl.COLOR_BUFFER_BIT | gl.DEPTH_BUFFER_BIT);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.posBuf);
    gl.bufferData(gl.ARRAY_BUFFER, positions, gl.DYNAMIC_DRAW);
    gl.enableVertexAttribArray(this.aPos);
    gl.vertexAttribPointer(this.aPos, 3, gl.FLOAT, false, 0, 0);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.colBuf);
    gl.bufferData(gl.ARRAY_BUFFER, colors, gl.DYNAMIC_DRAW);
    gl.enableVertexAttribArray(this.aColor);
    gl.vertexAttribPointer(this.aColor, 3, gl.UNSIGNED_BYTE, true, 0, 0);
    gl.uniform3f(this.uCentre, framing.cx, framing.cy, framing.cz);
    gl.uniform1f(this.uScale, framing.scale);
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, this.idxBuf);
    gl.drawElements(gl.TRIANGLES, this.count, gl.UNSIGNED_SHORT, 0);
  }
}

class Canvas2dRenderer {
  name = 'canvas 2D';
  constructor(canvas, ctx) {
    this.canvas = canvas;
    this.ctx = ctx;
  }
  setTriangles(triangles) {
    this.triangles = Uint16Array.from(triangles);
    this.order = new Uint32Array(this.triangles.length / 3);
    this.depth = new Float32Array(this.triangles.length / 3);
  }
  draw(positions, colors, framing) {
    const { ctx, canvas, triangles, order, depth } = this;
    const w = canvas.width;
    const h = canvas.height;
    ctx.fillStyle = `rgb(${BACKGROUND.join(',')})`;
    ctx.fillRect(0, 0, w, h);
    const s = framing.scale;
    const px = (i) => ((positions[i * 3] - framing.cx) * s * 0.5 + 0.5) * w;
    const py = (i) => ((positions[i * 3 + 1] - framing.cy) * s * 0.5 + 0.5) * h;
    for (let t = 0; t < order.length; t++) {
      order[t] = t;
      depth[t] =
        positions[triangles[t * 3] * 3 + 2] +
        positions[triangles[t * 3 + 1] * 3 + 2] +
        positions[triangles[t * 3 + 2] * 3 + 2];
    }
    // Far triangles first (larger z = farther).
    order.sort((a, b) => depth[b] - depth[a]);
    for (const t of order) {
      const a = triangles[t * 3];
      const b = triangles[t * 3 + 1];
      const c = triangles[t * 3 + 2];
      const r = (colors[a * 3] + colors[b * 3] + colors[c * 3]) / 3;
      const g = (colors[a * 3 + 1] + colors[b * 3 + 1] + colors[c * 3 + 1]) / 3;
      const bl = (colors[a * 3 + 2] + colors[b * 3 + 2] + colors[c * 3 + 2]) / 3;
      const fill = `rgb(${r | 0},${g | 0},${bl | 0})`;
      ctx.fillStyle = fill;
      ctx.strokeStyle = fill;
      ctx.beginPath();
      ctx.moveTo(px(a), py(a));
      ctx.lineTo(px(b), py(b));
      ctx.lineTo(px(c), py(c));
      ctx.closePath();
      ctx.fill();
      ctx.stroke();
    }
  }
}

/** Picks WebGL, or canvas 2D when WebGL is unavailable (or `?renderer=2d`). */
export function createAvatarRenderer(canvas, prefer = 'webgl') {
  if (prefer !== '2d') {
    const gl = canvas.getContext('webgl', { preserveDrawingBuffer: true, antialias: true });
    if (gl) {
      try {
        return new WebGlRenderer(canvas, gl);
      } catch {
        // Fall through to 2D on a broken GL stack; the canvas already has a webgl context, so use a fresh one.
        const fresh = canvas.cloneNode();
        canvas.replaceWith(fresh);
        canvas = fresh;
      }
    }
  }
  return new Canvas2dRenderer(canvas, canvas.getContext('2d'));
}

export { Framing, BACKGROUND };

/** Pixels of `canvas` that differ from the background (for tests and the status line). */
export function countForegroundPixels(canvas) {
  const probe = document.createElement('canvas');
  probe.width = canvas.width;
  probe.height = canvas.height;
  const ctx = probe.getContext('2d');
  ctx.drawImage(canvas, 0, 0);
  const data = ctx.getImageData(0, 0, probe.width, probe.height).data;
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    const d =
      Math.abs(data[i] - BACKGROUND[0]) +
      Math.abs(data[i + 1] - BACKGROUND[1]) +
      Math.abs(data[i + 2] - BACKGROUND[2]);
    if (d > 24) n++;
  }
  return n;
}
