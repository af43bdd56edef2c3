import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import App, { queryClient } from './App';
import { startEarly } from './shell/start';
import { registerServiceWorker } from './lib/sw';
import './index.css';

startEarly(queryClient);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
registerServiceWorker();
