import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// The console is served by `pingji serve --web web/dist` with a strict CSP
// (script-src 'self'; connect-src 'self'): no inline scripts, no CDN, no eval.
// `npm run dev` proxies /api to a local server (PINGJI_API, default http://127.0.0.1:8080).
export default defineConfig({
  plugins: [vue()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  define: {
    __VUE_OPTIONS_API__: 'true',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __INTLIFY_JIT_COMPILATION__: 'true',
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'false',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2020',
    sourcemap: false,
    modulePreload: { polyfill: false }, // the polyfill would be an inline script
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      output: {
        // vendor libraries change less often than the console: separate, long-cached files;
        // Element Plus is left to the default splitting so page-only components load with the page
        codeSplitting: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ },
            { name: 'vue', test: /node_modules[\\/](vue|@vue|vue-router|vue-i18n|@intlify)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': { target: process.env.PINGJI_API || 'http://127.0.0.1:8080', changeOrigin: false } },
  },
});
