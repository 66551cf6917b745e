/** The entry point: one live feed for the whole page, and the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LiveHub, LiveProvider } from './api/live.js';
import { App } from './app.js';
import './styles.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
const hub = new LiveHub();
hub.start();
createRoot(root).render(
  <StrictMode>
    <LiveProvider hub={hub}>
      <App />
    </LiveProvider>
  </StrictMode>,
);
