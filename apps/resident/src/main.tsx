import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { unstableSetRender } from 'antd-mobile';
import { App } from './app/App';
import './styles.css';

// antd-mobile's imperative Toast/Dialog render through this on React 19
unstableSetRender((node, container) => {
  const c = container as Element & { _jdRoot?: Root };
  c._jdRoot ??= createRoot(c);
  c._jdRoot.render(node);
  return async () => {
    await new Promise((r) => setTimeout(r, 0));
    c._jdRoot?.unmount();
    delete c._jdRoot;
  };
});

createRoot(document.getElementById('root')!).render(<App />);

// the app shell is cached by a service worker so it opens on a bad network (production builds only)
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {});
  });
}
