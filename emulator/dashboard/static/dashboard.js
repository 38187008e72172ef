// The dashboard's little script: live refresh of polled sections, and drawing labels over their media.
// Stored text only ever reaches the page through textContent or attributes, never as markup.
"use strict";

const SVG = "http://www.w3.org/2000/svg";

function poll(section) {
  const every = Number(section.dataset.poll);
  setInterval(async () => {
    const reply = await fetch(window.location.href, {credentials: "same-origin"});
    if (!reply.ok) return;
    const page = new DOMParser().parseFromString(await reply.text(), "text/html");
    const fresh = page.getElementById(section.id);
    if (fresh) section.replaceChildren(...fresh.childNodes);
  }, every);
}

function el(name, attributes) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
}

function points(value) {
  // {"0": {x, y}, ...} or [{x, y}, ...], in their order
  if (Array.isArray(value)) return value;
  return Object.keys(value || {}).sort((a, b) => a - b).map((k) => value[k]);
}

function decodeRle(text) {
  // Encord's RLE string (COCO's compressed counts): run lengths alternating unset and set pixels, row by row
  const counts = [];
  let p = 0;
  while (p < text.length) {
    let x = 0, k = 0, more = 1;
    while (more && p < text.length) {
      const c = text.charCodeAt(p) - 48;
      x |= (c & 0x1f) << (5 * k);
      more = c & 0x20;
      p += 1;
      k += 1;
      if (!more && (c & 0x10)) x |= -1 << (5 * k);
    }
    if (counts.length > 2) x += counts[counts.length - 2];
    counts.push(x);
  }
  return counts;
}

function bitmaskImage(mask, colour) {
  const canvas = document.createElement("canvas");
  canvas.width = mask.width;
  canvas.height = mask.height;
  const context = canvas.getContext("2d");
  const image = context.createImageData(mask.width, mask.height);
  const rgb = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16) || 0);
  let at = 0, set = false;
  for (const run of decodeRle(mask.rleString)) {
    if (set) {
      for (let i = at; i < at + run; i += 1) image.data.set([...rgb, 140], i * 4);
    }
    at += run;
    set = !set;
  }
  context.putImageData(image, 0, 0);
  return canvas.toDataURL();
}

function drawObject(group, obj, colour, unit, edges) {
  const w = unit.width, h = unit.height;
  const style = {stroke: colour, "stroke-width": 2, fill: "none", "data-object-hash": obj.objectHash || ""};
  const filled = {...style, fill: colour, "fill-opacity": 0.35};
  if (obj.boundingBox) {
    const b = obj.boundingBox;
    group.append(el("rect", {...filled, class: "bounding-box", x: b.x * w, y: b.y * h, width: b.w * w, height: b.h * h}));
  } else if (obj.rotatableBoundingBox) {
    const b = obj.rotatableBoundingBox;
    const cx = (b.x + b.w / 2) * w, cy = (b.y + b.h / 2) * h;
    group.append(el("rect", {...filled, class: "rotatable-bounding-box", x: b.x * w, y: b.y * h, width: b.w * w,
                             height: b.h * h, transform: `rotate(${b.theta || 0} ${cx} ${cy})`}));
  } else if (obj.polygon) {
    group.append(el("polygon", {...filled, class: "polygon", points: points(obj.polygon).map((p) => `${p.x * w},${p.y * h}`).join(" ")}));
  } else if (obj.polyline) {
    group.append(el("polyline", {...style, class: "polyline",
                                 points: points(obj.polyline).map((p) => `${p.x * w},${p.y * h}`).join(" ")}));
  } else if (obj.point) {
    const [p] = points(obj.point);
    group.append(el("circle", {...filled, "fill-opacity": 1, class: "point", cx: p.x * w, cy: p.y * h, r: 5}));
  } else if (obj.skeleton) {
    const vertices = points(obj.skeleton);
    const byName = Object.fromEntries(vertices.map((v) => [v.name, v]));
    for (const [a, b] of edges[obj.featureHash] || []) {
      if (byName[a] && byName[b]) {
        group.append(el("line", {...style, class: "skeleton-edge", x1: byName[a].x * w, y1: byName[a].y * h,
                                 x2: byName[b].x * w, y2: byName[b].y * h}));
      }
    }
    for (const v of vertices) {
      group.append(el("circle", {...filled, "fill-opacity": 1, class: "skeleton-point", cx: v.x * w, cy: v.y * h, r: 4}));
    }
  } else if (obj.bitmask) {
    const m = obj.bitmask;
    group.append(el("image", {class: "bitmask", x: m.left, y: m.top, width: m.width, height: m.height,
                              href: bitmaskImage(m, colour), "data-object-hash": obj.objectHash || ""}));
  }
}

function drawFrame(figure, unit, data, frame) {
  const group = figure.querySelector(".shapes");
  group.replaceChildren();
  const labels = unit.labels[String(frame)] || {};
  for (const obj of labels.objects || []) {
    const feature = data.features[obj.featureHash] || {};
    const colour = /^#[0-9A-Fa-f]{6}$/.test(feature.color || "") ? feature.color : (obj.color || "#ff00ff");
    drawObject(group, obj, colour, unit, data.skeleton_edges);
  }
}

function labelView(data) {
  for (const unit of data.units) {
    const figure = [...document.querySelectorAll("figure.unit")].find((f) => f.dataset.unit === unit.key);
    drawFrame(figure, unit, data, 0);
    const slider = figure.querySelector(".frame-slider");
    if (!slider) continue;
    const video = figure.querySelector("video");
    slider.addEventListener("input", () => {
      const frame = Number(slider.value);
      figure.querySelector(".frame-number").textContent = String(frame);
      if (unit.fps) video.currentTime = (frame + 0.5) / unit.fps;
      drawFrame(figure, unit, data, frame);
    });
  }
}

document.querySelectorAll("[data-poll]").forEach(poll);
const labelData = document.getElementById("label-row-data");
if (labelData) labelView(JSON.parse(labelData.textContent));
