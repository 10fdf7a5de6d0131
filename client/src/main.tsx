import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerServiceWorker } from './serviceWorker.js';
import { SessionController } from './session/SessionController.js';
import { App } from './ui/App.js';
import { ControllerContext } from './ui/appContext.js';
import './styles.css';

const controller = new SessionController();
void controller.start();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ControllerContext.Provider value={controller}>
      <App />
    </ControllerContext.Provider>
  </StrictMode>,
);

registerServiceWorker();
