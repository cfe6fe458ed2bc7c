// Needed for `vite` (the dev server) only: its dependency pre-bundling would copy the
// package's JavaScript into node_modules/.vite/deps without the .wasm beside it.
// `vite build` emits the .wasm either way.
export default {
  optimizeDeps: { exclude: ['attention-lab'] },
};
