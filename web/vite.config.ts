import { defineConfig } from "vite";

// The bundle is committed inside the Python package, so `pip install` needs no Node.
export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: "../src/gristmill/server/static",
    emptyOutDir: true,
    target: "es2022",
    // One small app: a single chunk loads in one round trip.
    chunkSizeWarningLimit: 300,
  },
  server: { proxy: { "/api": "http://127.0.0.1:5480" } },
});
