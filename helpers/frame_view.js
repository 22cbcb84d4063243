// The browser side of helpers.frame_view.FrameView: a numbers line and a PNG, keyed by the controls' option
// indices. Every frame the kernel sends is kept here, so moving a control to a setting already sent shows its
// frame at once, without a round trip to the kernel.

const MODEL_PREFIX = "IPY_MODEL_";

function asBytes(buffer) {
  // Binary traits and message buffers arrive as DataView or ArrayBuffer depending on the front end.
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function pngWidth(bytes) {
  // The PNG header's width (bytes 16-19, big-endian): the frame is shown at its own pixel size.
  return new DataView(bytes.buffer, bytes.byteOffset + 16, 4).getUint32(0);
}

async function controlModels(model) {
  // The selection controls the key is made of; none (the kernel's frame always shown) if one cannot be found.
  try {
    const ids = model.get("controls") || [];
    return await Promise.all(ids.map((id) => model.widget_manager.get_model(id.replace(MODEL_PREFIX, ""))));
  } catch (error) {
    console.warn("FrameView: controls not found, showing the kernel's frames only", error);
    return [];
  }
}

async function render({ model, el }) {
  el.classList.add("labs-screen");
  const numbers = document.createElement("pre");
  numbers.className = "labs-numbers";
  numbers.style.cssText = "margin: 0; white-space: pre-wrap;";
  const image = document.createElement("img");
  image.className = "labs-frame";
  image.alt = "the figure at the controls' setting";
  image.style.cssText = "display: block; max-width: 100%; height: auto;";
  el.append(numbers, image);

  const frames = new Map(); // key -> {url, text, width, size}
  let shown = null; // the key on screen
  let onScreen = null; // the blob URL on screen (its entry may have been replaced since)
  const controls = await controlModels(model);
  const currentKey = () => controls.map((c) => c.get("index")).join(",");

  function release(url) {
    // A URL no entry holds and not on screen is freed.
    if (url && url !== onScreen && ![...frames.values()].some((f) => f.url === url)) URL.revokeObjectURL(url);
  }

  function store(key, text, buffer) {
    if (!buffer) return;
    const bytes = asBytes(buffer);
    if (bytes.byteLength < 24) return;
    const old = frames.get(key);
    // A kept setting's frame never changes (the kernel draws it once); "" is the one key of unkept frames.
    if (old && key !== "" && old.text === text && old.size === bytes.byteLength) return;
    const url = URL.createObjectURL(new Blob([bytes], { type: "image/png" }));
    frames.set(key, { url, text, width: pngWidth(bytes), size: bytes.byteLength });
    if (old) release(old.url);
    if (key === shown) shown = null; // a new picture for the shown setting: show it again
  }

  function show(key) {
    const frame = frames.get(key);
    if (!frame || key === shown) return;
    const previous = onScreen;
    shown = key;
    onScreen = frame.url;
    image.style.width = `${frame.width}px`;
    image.src = frame.url;
    numbers.innerHTML = frame.text;
    release(previous);
  }

  // The frame the kernel set last (the controls' setting when it drew it). Shown if the controls are there, if
  // it is never kept (key ""), or if nothing is shown yet (a view opened later: better than an empty picture).
  function fromTraits() {
    const key = model.get("key");
    store(key, model.get("text"), model.get("png"));
    if (controls.length === 0 || key === "" || key === currentKey() || shown === null) show(key);
  }

  // A frame drawn ahead (or sent again for this view): kept, and shown if the controls are already there.
  function onMessage(msg, buffers) {
    if (msg?.kind !== "frame" || !buffers?.length) return;
    store(msg.key, msg.text, buffers[0]);
    if (controls.length > 0 && msg.key === currentKey()) show(msg.key);
  }

  function onMove() {
    show(currentKey()); // a setting not sent yet keeps the last picture until the kernel's arrives
  }

  function onNewOptions() {
    // Keys are option indices: with other options they mean other settings. Keep only what is on screen.
    for (const [key, frame] of frames) if (frame.url !== onScreen) URL.revokeObjectURL(frame.url);
    frames.clear();
    shown = null;
  }

  model.on("change", fromTraits); // once per update of key, png and text (sent together)
  model.on("msg:custom", onMessage);
  for (const control of controls) {
    control.on("change:index", onMove);
    control.on("change:_options_labels", onNewOptions);
  }
  fromTraits();
  model.send({ kind: "ready" }); // the kernel answers with every frame it drew before this view existed

  return () => {
    model.off("change", fromTraits);
    model.off("msg:custom", onMessage);
    for (const control of controls) {
      control.off("change:index", onMove);
      control.off("change:_options_labels", onNewOptions);
    }
    for (const frame of frames.values()) URL.revokeObjectURL(frame.url);
    if (onScreen) URL.revokeObjectURL(onScreen);
    frames.clear();
  };
}

export default { render };
