// Draws the data map's points: WebGL when the browser offers it (one buffer upload per data
// change, one draw call per frame, pan and zoom only change two uniforms), else a 2-D canvas
// written pixel by pixel into one ImageData (100k fillRect calls a frame would not keep up).
import type { FittedPoints, View } from "./mapGeometry";

export type RendererKind = "webgl" | "canvas2d";

export interface MapRenderer {
  readonly kind: RendererKind;
  /** Upload points with their colours; dimmed ones are drawn first, faded, under the others. */
  setPoints(points: FittedPoints, rgba: Uint8Array, dimmed: Uint8Array | null): void;
  /** One frame: `width`/`height` in CSS px, the canvas already sized to them × `dpr`. */
  draw(view: View, width: number, height: number, dpr: number, pointSize: number): void;
  dispose(): void;
}

export const BACKGROUND: [number, number, number] = [251, 252, 253];
const DIMMED_ALPHA = 0.14;
// "webgl" or "canvas2d" overrides the choice: a broken GPU driver can be sidestepped, and the
// tests and the benchmark can exercise both paths in one browser.
const FORCE_KEY = "gristmill.mapRenderer";

/**
 * A renderer on `canvas`: WebGL on a GPU, else the 2-D canvas. WebGL emulated in software
 * (SwiftShader, which headless Chromium with --disable-gpu offers without flagging it as a
 * "major performance caveat") draws 100k points at ~5 frames a second where the 2-D path keeps
 * ~50 (benchmarks/results/map.md), so a software WebGL is declined. `allowWebgl` false: the
 * caller retries on a fresh canvas after WebGL failed on this one (a canvas cannot switch
 * context types).
 */
export function createRenderer(canvas: HTMLCanvasElement, allowWebgl = true): MapRenderer {
  const forced = forcedKind();
  if (allowWebgl && (forced === "webgl" || (forced !== "canvas2d" && hardwareWebgl()))) {
    // preserveDrawingBuffer keeps the last frame readable (tests read pixels; "save image" works).
    const gl = canvas.getContext("webgl", { antialias: false, alpha: false, depth: false, preserveDrawingBuffer: true });
    if (gl) return new WebGlRenderer(gl);
  }
  const context = canvas.getContext("2d");
  if (!context) throw new Error("this browser offers neither WebGL nor a 2-D canvas");
  return new CanvasRenderer(canvas, context);
}

const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i;
let hardware: boolean | null = null;

/** Whether WebGL runs on a GPU (asked once, on a scratch canvas whose context is then released). */
export function hardwareWebgl(): boolean {
  if (hardware !== null) return hardware;
  const gl = document.createElement("canvas").getContext("webgl", { failIfMajorPerformanceCaveat: true });
  if (!gl) return (hardware = false);
  const info = gl.getExtension("WEBGL_debug_renderer_info");
  const name = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  hardware = !SOFTWARE.test(name);
  gl.getExtension("WEBGL_lose_context")?.loseContext();
  return hardware;
}

function forcedKind(): string | null {
  try {
    return localStorage.getItem(FORCE_KEY);
  } catch {
    // Storage refused (a sandboxed frame): the default path.
    return null;
  }
}

/** Draw order: the dimmed points first, so the ones passing the filters stay on top. */
function drawOrder(count: number, dimmed: Uint8Array | null): Uint32Array {
  const order = new Uint32Array(count);
  if (!dimmed) {
    for (let i = 0; i < count; i++) order[i] = i;
    return order;
  }
  let k = 0;
  for (let i = 0; i < count; i++) if (dimmed[i]) order[k++] = i;
  for (let i = 0; i < count; i++) if (!dimmed[i]) order[k++] = i;
  return order;
}

const VERTEX = `
attribute vec2 a_pos;
attribute vec4 a_color;
uniform vec2 u_scale;
uniform vec2 u_offset;
uniform float u_size;
varying vec4 v_color;
void main() {
  gl_Position = vec4(a_pos * u_scale + u_offset, 0.0, 1.0);
  gl_PointSize = u_size;
  v_color = a_color;
}`;

const FRAGMENT = `
precision mediump float;
varying vec4 v_color;
void main() {
  vec2 d = gl_PointCoord - vec2(0.5);
  if (dot(d, d) > 0.25) discard;
  gl_FragColor = v_color;
}`;

class WebGlRenderer implements MapRenderer {
  readonly kind = "webgl";
  private readonly program: WebGLProgram;
  private readonly positions: WebGLBuffer;
  private readonly colors: WebGLBuffer;
  private count = 0;

  constructor(private readonly gl: WebGLRenderingContext) {
    this.program = link(gl, compile(gl, gl.VERTEX_SHADER, VERTEX), compile(gl, gl.FRAGMENT_SHADER, FRAGMENT));
    this.positions = gl.createBuffer()!;
    this.colors = gl.createBuffer()!;
  }

  setPoints(points: FittedPoints, rgba: Uint8Array, dimmed: Uint8Array | null): void {
    const { gl } = this;
    const order = drawOrder(points.count, dimmed);
    const xy = new Float32Array(points.count * 2);
    const colors = new Uint8Array(points.count * 4);
    const faded = Math.round(DIMMED_ALPHA * 255);
    for (let k = 0; k < order.length; k++) {
      const i = order[k];
      xy[2 * k] = points.xy[2 * i];
      xy[2 * k + 1] = points.xy[2 * i + 1];
      colors[4 * k] = rgba[4 * i];
      colors[4 * k + 1] = rgba[4 * i + 1];
      colors[4 * k + 2] = rgba[4 * i + 2];
      colors[4 * k + 3] = dimmed && dimmed[i] ? faded : 255;
    }
    gl.bindBuffer(gl.ARRAY_BUFFER, this.positions);
    gl.bufferData(gl.ARRAY_BUFFER, xy, gl.STATIC_DRAW);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.colors);
    gl.bufferData(gl.ARRAY_BUFFER, colors, gl.STATIC_DRAW);
    this.count = points.count;
  }

  draw(view: View, width: number, height: number, dpr: number, pointSize: number): void {
    const { gl, program } = this;
    gl.viewport(0, 0, gl.drawingBufferWidth, gl.drawingBufferHeight);
    gl.clearColor(BACKGROUND[0] / 255, BACKGROUND[1] / 255, BACKGROUND[2] / 255, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    if (!this.count) return;
    gl.useProgram(program);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA);
    const position = gl.getAttribLocation(program, "a_pos");
    gl.bindBuffer(gl.ARRAY_BUFFER, this.positions);
    gl.enableVertexAttribArray(position);
    gl.vertexAttribPointer(position, 2, gl.FLOAT, false, 0, 0);
    const color = gl.getAttribLocation(program, "a_color");
    gl.bindBuffer(gl.ARRAY_BUFFER, this.colors);
    gl.enableVertexAttribArray(color);
    gl.vertexAttribPointer(color, 4, gl.UNSIGNED_BYTE, true, 0, 0);
    // Unit square → clip space, y up: clip = unit × scale + offset (see mapGeometry.toScreen).
    gl.uniform2f(gl.getUniformLocation(program, "u_scale"), (2 * view.scale) / width, (2 * view.scale) / height);
    gl.uniform2f(gl.getUniformLocation(program, "u_offset"), (2 * view.tx) / width - 1, 1 - (2 * (view.ty + view.scale)) / height);
    gl.uniform1f(gl.getUniformLocation(program, "u_size"), pointSize * dpr);
    gl.drawArrays(gl.POINTS, 0, this.count);
  }

  dispose(): void {
    this.gl.deleteBuffer(this.positions);
    this.gl.deleteBuffer(this.colors);
    this.gl.deleteProgram(this.program);
  }
}

function compile(gl: WebGLRenderingContext, type: number, source: string): WebGLShader {
  const shader = gl.createShader(type);
  if (!shader) throw new Error("could not create a shader");
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) throw new Error(gl.getShaderInfoLog(shader) ?? "shader error");
  return shader;
}

function link(gl: WebGLRenderingContext, vertex: WebGLShader, fragment: WebGLShader): WebGLProgram {
  const program = gl.createProgram();
  if (!program) throw new Error("could not create a program");
  gl.attachShader(program, vertex);
  gl.attachShader(program, fragment);
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) throw new Error(gl.getProgramInfoLog(program) ?? "link error");
  return program;
}

class CanvasRenderer implements MapRenderer {
  readonly kind = "canvas2d";
  private xy = new Float32Array(0);
  /** Packed ABGR (little-endian RGBA) per point in draw order, already blended on the background. */
  private packed = new Uint32Array(0);
  private image: ImageData | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly context: CanvasRenderingContext2D,
  ) {}

  setPoints(points: FittedPoints, rgba: Uint8Array, dimmed: Uint8Array | null): void {
    const order = drawOrder(points.count, dimmed);
    this.xy = new Float32Array(points.count * 2);
    this.packed = new Uint32Array(points.count);
    for (let k = 0; k < order.length; k++) {
      const i = order[k];
      this.xy[2 * k] = points.xy[2 * i];
      this.xy[2 * k + 1] = points.xy[2 * i + 1];
      const a = dimmed && dimmed[i] ? DIMMED_ALPHA : 1;
      const r = Math.round(rgba[4 * i] * a + BACKGROUND[0] * (1 - a));
      const g = Math.round(rgba[4 * i + 1] * a + BACKGROUND[1] * (1 - a));
      const b = Math.round(rgba[4 * i + 2] * a + BACKGROUND[2] * (1 - a));
      this.packed[k] = (255 << 24) | (b << 16) | (g << 8) | r;
    }
  }

  draw(view: View, _width: number, _height: number, dpr: number, pointSize: number): void {
    const w = this.canvas.width;
    const h = this.canvas.height;
    if (!this.image || this.image.width !== w || this.image.height !== h) this.image = this.context.createImageData(w, h);
    const pixels = new Uint32Array(this.image.data.buffer);
    pixels.fill((255 << 24) | (BACKGROUND[2] << 16) | (BACKGROUND[1] << 8) | BACKGROUND[0]);
    const size = Math.max(1, Math.round(pointSize * dpr));
    const disc = discOffsets(size);
    const scale = view.scale * dpr;
    const tx = view.tx * dpr;
    const ty = view.ty * dpr;
    const half = Math.floor(size / 2);
    // A point wholly inside the canvas (almost all of them) is written through offsets into the
    // pixel array, without a bounds test per pixel.
    const linear = new Int32Array(disc.length / 2);
    for (let d = 0; d < disc.length; d += 2) linear[d / 2] = disc[d + 1] * w + disc[d];
    for (let k = 0; k < this.packed.length; k++) {
      const px = Math.round(tx + this.xy[2 * k] * scale) - half;
      const py = Math.round(ty + (1 - this.xy[2 * k + 1]) * scale) - half;
      if (px < -size || py < -size || px >= w || py >= h) continue;
      const color = this.packed[k];
      if (px >= 0 && py >= 0 && px + size <= w && py + size <= h) {
        const at = py * w + px;
        for (let d = 0; d < linear.length; d++) pixels[at + linear[d]] = color;
        continue;
      }
      for (let d = 0; d < disc.length; d += 2) {
        const x = px + disc[d];
        const y = py + disc[d + 1];
        if (x >= 0 && y >= 0 && x < w && y < h) pixels[y * w + x] = color;
      }
    }
    this.context.putImageData(this.image, 0, 0);
  }

  dispose(): void {
    this.image = null;
  }
}

const discs = new Map<number, Int16Array>();

/** The pixel offsets of a filled disc of `size` px (a square below 4 px). */
function discOffsets(size: number): Int16Array {
  let found = discs.get(size);
  if (found) return found;
  const offsets: number[] = [];
  const r = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = x + 0.5 - r;
      const dy = y + 0.5 - r;
      if (size < 4 || dx * dx + dy * dy <= r * r) offsets.push(x, y);
    }
  }
  found = Int16Array.from(offsets);
  discs.set(size, found);
  return found;
}
