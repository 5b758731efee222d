// The imaging viewer: Cornerstone3D shows the de-identified DICOM image (window/level, pan,
// zoom); landmarks are placed by clicking, drawn in an SVG overlay that follows the camera, and
// saved to the server, which measures them with the pure core (spinewise.imaging.measure).
//
// Coordinates: the server speaks LANDMARKS.json image pixels (x right, y down, pixel centres at
// integers), which is the index space of the vtkImageData the stack viewport renders, so the
// conversion goes through that image data's own index<->world matrices. (Cornerstone's
// utilities.imageToWorldCoords pairs the row spacing with the x axis, which misplaces points on
// images with non-square pixels such as the phantom's 0.5 x 0.4 mm.)
import { core, tools, dicomImageLoader } from "/static/vendor/cornerstone/cornerstone.js";

const app = document.getElementById("img-viewer-app");
const element = document.getElementById("img-viewport");
const overlay = document.getElementById("img-overlay");
const status = document.getElementById("img-status");
const saveStatus = document.getElementById("img-save-status");
const canEdit = app.dataset.canEdit === "true";
const columns = Number(app.dataset.columns);
const rows = Number(app.dataset.rows);
const SVG = "http://www.w3.org/2000/svg";
const ENGINE_ID = "sw-imaging-engine";
const VIEWPORT_ID = "sw-imaging-viewport";
const GROUP_ID = "sw-imaging-tools";

// Landmarks by name: lateral points, or "upper_endplate.0" style ends of the frontal lines.
let placed = {};
let viewport = null;
let imageId = null;
let mode = "WindowLevel";

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

function currentView() {
  const select = document.getElementById("img-view");
  return select ? select.value : "lateral";
}

function selectedStep() {
  const checked = document.querySelector('input[name="img-step"]:checked');
  return checked ? checked.value : null;
}

// --- coordinates --------------------------------------------------------------------------

function pixelGrid() {
  return viewport.getImageData().imageData;
}

function imageToCanvas(point) {
  const world = pixelGrid().indexToWorld([point[0], point[1], 0], []);
  return viewport.worldToCanvas(world);
}

function canvasToImage(canvasPoint) {
  const index = pixelGrid().worldToIndex(viewport.canvasToWorld(canvasPoint), []);
  return [index[0], index[1]];
}

// For tests and for keyboard users: where an image pixel is on the page right now.
window.spinewiseViewer = {
  imageToClient(x, y) {
    const rect = element.getBoundingClientRect();
    const [cx, cy] = imageToCanvas([x, y]);
    return { x: rect.left + cx, y: rect.top + cy };
  },
  ready: false,
};

// --- drawing the landmarks ----------------------------------------------------------------

const LINES = {
  lateral: [
    ["s1_anterior", "s1_posterior"],
    ["l1_anterior", "l1_posterior"],
  ],
  frontal: [
    ["upper_endplate.0", "upper_endplate.1"],
    ["lower_endplate.0", "lower_endplate.1"],
  ],
};

function shortLabel(name) {
  return name
    .replace("femoral_head_", "FH")
    .replace("_anterior", " ant")
    .replace("_posterior_inferior", " PI")
    .replace("_posterior", " post")
    .replace("upper_endplate.", "U")
    .replace("lower_endplate.", "L")
    .toUpperCase();
}

function draw() {
  if (!viewport || !imageId) return;
  const width = element.clientWidth;
  const height = element.clientHeight;
  overlay.setAttribute("viewBox", `0 0 ${width} ${height}`);
  overlay.replaceChildren();
  const view = currentView();
  for (const [a, b] of LINES[view]) {
    if (!placed[a] || !placed[b]) continue;
    const [x1, y1] = imageToCanvas(placed[a]);
    const [x2, y2] = imageToCanvas(placed[b]);
    const line = document.createElementNS(SVG, "line");
    Object.entries({ x1, y1, x2, y2, class: "img-endplate" }).forEach(([k, v]) =>
      line.setAttribute(k, v),
    );
    overlay.append(line);
  }
  for (const [name, point] of Object.entries(placed)) {
    if (!belongsTo(name, view)) continue;
    const [x, y] = imageToCanvas(point);
    const mark = document.createElementNS(SVG, "circle");
    mark.setAttribute("cx", x);
    mark.setAttribute("cy", y);
    mark.setAttribute("r", 5);
    mark.setAttribute("class", name === selectedStep() ? "img-mark selected" : "img-mark");
    const text = document.createElementNS(SVG, "text");
    text.setAttribute("x", x + 8);
    text.setAttribute("y", y - 8);
    text.textContent = shortLabel(name);
    overlay.append(mark, text);
  }
}

function belongsTo(name, view) {
  return view === "frontal" ? name.includes("endplate.") : !name.includes("endplate.");
}

function showCoordinates() {
  document.querySelectorAll("output[data-for]").forEach((out) => {
    const point = placed[out.dataset.for];
    out.textContent = point ? `${point[0].toFixed(1)}, ${point[1].toFixed(1)}` : "—";
  });
}

// --- placing ------------------------------------------------------------------------------

function advance() {
  const view = currentView();
  const radios = [
    ...document.querySelectorAll(`.img-steps[data-view="${view}"] input[name="img-step"]`),
  ];
  const next = radios.find((r) => !placed[r.value] && !r.closest("label").textContent.includes("optional"));
  if (next) next.checked = true;
}

function place(event) {
  if (!canEdit || mode !== "Landmarks" || event.button !== 0 || !viewport) return;
  const step = selectedStep();
  if (!step) return;
  const rect = element.getBoundingClientRect();
  const point = canvasToImage([event.clientX - rect.left, event.clientY - rect.top]);
  if (point[0] < -0.5 || point[1] < -0.5 || point[0] > columns - 0.5 || point[1] > rows - 0.5) {
    saveStatus.textContent = "That point is outside the image.";
    return;
  }
  placed[step] = [Math.round(point[0] * 100) / 100, Math.round(point[1] * 100) / 100];
  saveStatus.textContent = `Placed ${step.replace(".", " end ")}; not saved yet.`;
  advance();
  showCoordinates();
  draw();
}

function payload() {
  const view = currentView();
  const landmarks = {};
  if (view === "lateral") {
    for (const [name, point] of Object.entries(placed)) {
      if (belongsTo(name, "lateral")) landmarks[name] = point;
    }
  } else {
    for (const line of ["upper_endplate", "lower_endplate"]) {
      const a = placed[`${line}.0`];
      const b = placed[`${line}.1`];
      if (a && b) landmarks[line] = [a, b];
    }
  }
  const anterior = document.getElementById("img-anterior").value || null;
  return { view, anterior: view === "lateral" ? anterior : null, landmarks };
}

async function save() {
  saveStatus.textContent = "Saving…";
  const response = await fetch(app.dataset.landmarksUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
    body: JSON.stringify(payload()),
    credentials: "same-origin",
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    saveStatus.textContent = `Not saved: ${body.message || body.detail?.[0]?.msg || response.status}`;
    return;
  }
  saveStatus.textContent = body.measurements
    ? `Saved as version ${body.version} and measured.`
    : `Saved as version ${body.version}; not measured: ${body.problem}`;
  window.htmx.ajax("GET", app.dataset.resultsUrl, { target: "#img-results", swap: "outerHTML" });
}

async function loadSaved() {
  const response = await fetch(app.dataset.landmarksUrl, { credentials: "same-origin" });
  if (!response.ok) return;
  const history = await response.json();
  const latest = history.items[0];
  if (!latest) return;
  placed = {};
  if (latest.view === "frontal") {
    for (const [line, ends] of Object.entries(latest.landmarks)) {
      ends.forEach((point, i) => (placed[`${line}.${i}`] = point));
    }
  } else {
    Object.assign(placed, latest.landmarks);
  }
  const viewSelect = document.getElementById("img-view");
  if (viewSelect) {
    viewSelect.value = latest.view;
    showSteps();
  }
  if (latest.anterior && document.getElementById("img-anterior")) {
    document.getElementById("img-anterior").value = latest.anterior;
  }
  showCoordinates();
  draw();
}

function showSteps() {
  const view = currentView();
  document.querySelectorAll(".img-steps").forEach((set) => {
    set.hidden = set.dataset.view !== view;
  });
  const first = document.querySelector(`.img-steps[data-view="${view}"] input[name="img-step"]`);
  if (first && !document.querySelector(`.img-steps[data-view="${view}"] input:checked`)) {
    first.checked = true;
  }
  draw();
}

// --- tools --------------------------------------------------------------------------------

function setMode(next) {
  const group = tools.ToolGroupManager.getToolGroup(GROUP_ID);
  const { MouseBindings } = tools.Enums;
  const names = {
    WindowLevel: tools.WindowLevelTool.toolName,
    Pan: tools.PanTool.toolName,
    Zoom: tools.ZoomTool.toolName,
  };
  if (names[mode]) group.setToolPassive(names[mode]);
  if (names[next]) {
    group.setToolActive(names[next], { bindings: [{ mouseButton: MouseBindings.Primary }] });
  }
  mode = next;
  element.classList.toggle("placing", next === "Landmarks");
  document.querySelectorAll("[data-tool]").forEach((button) => {
    button.setAttribute("aria-pressed", String(button.dataset.tool === next));
  });
}

async function start() {
  await core.init();
  dicomImageLoader.init({ maxWebWorkers: 1, wasmBasePath: "/static/vendor/cornerstone/" });
  tools.init();
  for (const Tool of [tools.WindowLevelTool, tools.PanTool, tools.ZoomTool]) tools.addTool(Tool);
  const group = tools.ToolGroupManager.createToolGroup(GROUP_ID);
  const { MouseBindings } = tools.Enums;
  group.addTool(tools.WindowLevelTool.toolName);
  group.addTool(tools.PanTool.toolName);
  group.addTool(tools.ZoomTool.toolName);
  group.setToolActive(tools.PanTool.toolName, {
    bindings: [{ mouseButton: MouseBindings.Auxiliary }],
  });
  group.setToolActive(tools.ZoomTool.toolName, {
    bindings: [{ mouseButton: MouseBindings.Secondary }],
  });
  group.setToolActive(tools.WindowLevelTool.toolName, {
    bindings: [{ mouseButton: MouseBindings.Primary }],
  });
  element.addEventListener("contextmenu", (event) => event.preventDefault());

  const engine = new core.RenderingEngine(ENGINE_ID);
  engine.enableElement({
    viewportId: VIEWPORT_ID,
    type: core.Enums.ViewportType.STACK,
    element,
  });
  group.addViewport(VIEWPORT_ID, ENGINE_ID);
  viewport = engine.getViewport(VIEWPORT_ID);
  imageId = "wadouri:" + new URL(app.dataset.fileUrl, window.location.href).href;
  await viewport.setStack([imageId]);
  viewport.render();

  element.addEventListener(core.Enums.Events.CAMERA_MODIFIED, draw);
  element.addEventListener(core.Enums.Events.IMAGE_RENDERED, draw);
  element.addEventListener("pointerdown", place);
  new ResizeObserver(() => {
    engine.resize(true, true);
    draw();
  }).observe(element);

  document.querySelectorAll("[data-tool]").forEach((button) =>
    button.addEventListener("click", () => setMode(button.dataset.tool)),
  );
  document.querySelector('[data-action="reset"]').addEventListener("click", () => {
    viewport.resetCamera();
    viewport.resetProperties();
    viewport.render();
  });
  if (canEdit) {
    document.getElementById("img-save").addEventListener("click", save);
    document.getElementById("img-clear").addEventListener("click", () => {
      delete placed[selectedStep()];
      showCoordinates();
      draw();
    });
    document.getElementById("img-view").addEventListener("change", showSteps);
    document
      .querySelectorAll('input[name="img-step"]')
      .forEach((radio) => radio.addEventListener("change", draw));
  }
  await loadSaved();
  status.textContent = "Image loaded.";
  window.spinewiseViewer.ready = true;
  app.dataset.ready = "true";
}

start().catch((error) => {
  status.textContent = `The image could not be shown: ${error && error.message ? error.message : error}`;
  app.dataset.ready = "error";
  console.error(error);
});
