// The renderer's entry: styles, then the app.
//
// Stylesheets load base → shared widgets → features (each feature imports its own, through App), so at
// equal specificity a feature's rule wins over a widget's, and a widget's over the base.
import './styles/base.css';
import './components/controls.css';
import './components/grid.css';
import './components/dialog.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

const root = document.getElementById('root');
if (!root) throw new Error('fleetdeck: #root element missing');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
