// The parts of Cornerstone3D that the imaging viewer (src/spinewise/web/static/imaging-viewer.js)
// uses, bundled by esbuild into static/vendor/cornerstone/ by `make assets` (no CDN).
export * as core from "@cornerstonejs/core";
export * as tools from "@cornerstonejs/tools";
export * as dicomImageLoader from "@cornerstonejs/dicom-image-loader";
