import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router/index.js';
import { i18n, currentLocale } from './i18n/index.js';
import element from './plugins/element.js';
import { startIdleClock, onSessionEnd, session } from './auth/session.js';
import { unsavedWork } from './utils/leaveGuard.js';
import './styles/main.css';

document.documentElement.lang = currentLocale();

onSessionEnd((expired) => {
  const here = router.currentRoute.value;
  if (here.meta.public) return;
  // typed work not saved (a visit, a note): the same user logs in again over the page (hidden
  // meanwhile), which keeps it — the login page would drop it
  if (expired && session.lastUser && unsavedWork()) {
    session.relogin = session.lastUser;
    return;
  }
  router.replace({
    name: 'login',
    query: { ...(expired ? { expired: '1' } : { out: '1' }), ...(expired && here.fullPath !== '/' ? { redirect: here.fullPath } : {}) },
  });
});

const app = createApp(App);
app.use(i18n).use(router).use(element);
startIdleClock();
app.mount('#app');
