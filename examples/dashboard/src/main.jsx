import { createRoot } from 'react-dom/client';
import 'stream-chat-react/dist/css/v2/index.css';
import './style.css';
import { App } from './App';

createRoot(document.getElementById('root')).render(<App />);
