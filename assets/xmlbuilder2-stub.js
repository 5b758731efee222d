// vtk.js imports xmlbuilder2 only to read VTK XML poly data (meshes), which the Spinewise viewer
// never loads; xmlbuilder2 needs Node built-ins, so the bundle gets this stand-in instead.
export function create() {
  throw new Error("xmlbuilder2 is not bundled in the Spinewise viewer");
}
export default { create };
