// helpers/frame_view.js in Node, against stand-ins for the page: widget models with get/set/on/off/send, a DOM
// element stub and counted blob URLs. Usage: node tests/frame_view_page.mjs <a copy of frame_view.js as .mjs>.
// Prints one line per check and exits 1 if any failed (tests/test_frame_view_page.py runs it).
import assert from "node:assert/strict";

const { default: frameView } = await import(process.argv[2]);

let live = new Set();
let made = 0;
URL.createObjectURL = () => {
  const url = `blob:test/${made++}`;
  live.add(url);
  return url;
};
URL.revokeObjectURL = (url) => live.delete(url);
globalThis.document = { createElement: (tag) => ({ tag, style: {}, src: "", innerHTML: "" }) };
console.warn = () => {};

class Model {
  constructor(attrs) {
    this.attrs = { ...attrs };
    this.handlers = [];
    this.sent = [];
  }
  get(name) { return this.attrs[name]; }
  set(state) {
    Object.assign(this.attrs, state);
    for (const name of Object.keys(state)) this.fire(`change:${name}`);
    this.fire("change");
  }
  on(event, callback) { this.handlers.push([event, callback]); }
  off(event, callback) { this.handlers = this.handlers.filter(([e, c]) => !(e === event && c === callback)); }
  fire(event, ...args) { for (const [e, c] of [...this.handlers]) if (e === event) c(...args); }
  send(message) { this.sent.push(message); }
}

// A stand-in PNG: 40+ bytes with the width at bytes 16..19 and a marker byte, as a DataView (what traits give).
function png(width, marker) {
  const bytes = new Uint8Array(40 + marker);
  new DataView(bytes.buffer).setUint32(16, width);
  return new DataView(bytes.buffer);
}

async function mount(controls, attrs = {}, { missing = false } = {}) {
  const models = Object.fromEntries(controls.map((c, i) => [`c${i}`, c]));
  const model = new Model({ controls: Object.keys(models), key: "", png: new DataView(new ArrayBuffer(0)), text: "",
                            ...attrs });
  model.widget_manager = {
    get_model: async (id) => { if (missing) throw new Error(`no model ${id}`); return models[id]; },
  };
  const el = { classList: { add() {} }, children: [], append(...nodes) { this.children.push(...nodes); } };
  const cleanup = await frameView.render({ model, el });
  const [numbers, image] = el.children;
  return { model, numbers, image, cleanup };
}

const checks = [];
function check(name, body) { checks.push([name, body]); }

check("a kept frame is shown on the control's own move, with no message to the kernel", async () => {
  const slider = new Model({ index: 0 });
  const v = await mount([slider], { key: "0", png: png(600, 0), text: "x=0" });
  assert.deepEqual(v.model.sent, [{ kind: "ready" }]);
  v.model.fire("msg:custom", { kind: "frame", key: "1", text: "x=1" }, [png(600, 1)]);  // drawn ahead
  assert.equal(v.numbers.innerHTML, "x=0");
  slider.set({ index: 1 });
  assert.equal(v.numbers.innerHTML, "x=1");
  assert.equal(v.image.style.width, "600px");
  assert.deepEqual(v.model.sent, [{ kind: "ready" }]);
  v.cleanup();
});

check("a late kernel frame of a setting already left is kept, not shown", async () => {
  const slider = new Model({ index: 0 });
  const v = await mount([slider], { key: "0", png: png(600, 0), text: "x=0" });
  slider.set({ index: 1 });
  slider.set({ index: 2 });
  v.model.set({ key: "1", png: png(600, 1), text: "x=1" });
  assert.equal(v.numbers.innerHTML, "x=0");  // the last picture stays until setting 2's arrives
  v.model.set({ key: "2", png: png(600, 2), text: "x=2" });
  assert.equal(v.numbers.innerHTML, "x=2");
  slider.set({ index: 1 });
  assert.equal(v.numbers.innerHTML, "x=1");  // kept from the late message
  v.cleanup();
});

check("the key of every control counts, in the controls' order", async () => {
  const a = new Model({ index: 0 });
  const b = new Model({ index: 0 });
  const v = await mount([a, b], { key: "0,0", png: png(600, 0), text: "0,0" });
  v.model.fire("msg:custom", { kind: "frame", key: "0,1", text: "a0 b1" }, [png(600, 1)]);
  v.model.fire("msg:custom", { kind: "frame", key: "1,0", text: "a1 b0" }, [png(600, 2)]);
  b.set({ index: 1 });
  assert.equal(v.numbers.innerHTML, "a0 b1");
  b.set({ index: 0 });
  a.set({ index: 1 });
  assert.equal(v.numbers.innerHTML, "a1 b0");
  v.cleanup();
});

check("a new key with the same picture shows its own numbers", async () => {
  const slider = new Model({ index: 0 });
  const v = await mount([slider], { key: "0", png: png(600, 0), text: "k=0" });
  slider.set({ index: 1 });
  v.model.set({ key: "1", text: "k=1" });  // the png trait unchanged: only key and text were sent
  assert.equal(v.numbers.innerHTML, "k=1");
  v.cleanup();
});

check("a view opened after the controls moved shows the kernel's frame rather than nothing", async () => {
  const slider = new Model({ index: 3 });
  const v = await mount([slider], { key: "2", png: png(500, 2), text: "x=2" });
  assert.equal(v.numbers.innerHTML, "x=2");
  assert.equal(v.image.style.width, "500px");
  v.cleanup();
});

check("new options drop the kept frames (their keys meant other settings)", async () => {
  const slider = new Model({ index: 0 });
  const v = await mount([slider], { key: "0", png: png(600, 0), text: "old 0" });
  v.model.fire("msg:custom", { kind: "frame", key: "1", text: "old 1" }, [png(600, 1)]);
  slider.set({ _options_labels: ["a", "b"] });
  slider.set({ index: 1 });
  assert.equal(v.numbers.innerHTML, "old 0");  // not "old 1": waits for the kernel's frame
  v.cleanup();
});

check("controls that cannot be found: the kernel's frames are shown as they come", async () => {
  const slider = new Model({ index: 0 });
  const v = await mount([slider], { key: "0", png: png(600, 0), text: "x=0" }, { missing: true });
  v.model.set({ key: "1", png: png(600, 1), text: "x=1" });
  assert.equal(v.numbers.innerHTML, "x=1");
  v.cleanup();
});

check("blob URLs: one per kept frame, the replaced and the unkept freed, none left after cleanup", async () => {
  live = new Set();
  const v = await mount([], {});
  for (let i = 0; i < 50; i++) v.model.set({ key: "", png: png(600, i), text: `frame ${i}` });
  assert.equal(v.numbers.innerHTML, "frame 49");
  assert.equal(live.size, 1);
  v.cleanup();
  assert.equal(live.size, 0);

  const slider = new Model({ index: 0 });
  const w = await mount([slider], { key: "0", png: png(600, 0), text: "x=0" });
  w.model.fire("msg:custom", { kind: "frame", key: "1", text: "x=1" }, [png(600, 1)]);
  w.model.set({ key: "0", png: png(600, 7), text: "x=0 again" });  // the shown frame replaced
  assert.equal(w.numbers.innerHTML, "x=0 again");
  assert.equal(live.size, 2);
  w.cleanup();
  assert.equal(live.size, 0);
});

let failed = 0;
for (const [name, body] of checks) {
  try {
    await body();
    console.log(`ok - ${name}`);
  } catch (error) {
    failed += 1;
    console.log(`FAILED - ${name}\n${error.stack}`);
  }
}
process.exit(failed ? 1 : 0);
