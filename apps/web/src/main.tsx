import { render } from 'preact';
import './styles.css';
import { takeTokenFromFragment } from './api/token.js';
import { App } from './app.js';

takeTokenFromFragment();
addEventListener('hashchange', takeTokenFromFragment);
render(<App />, document.getElementById('app')!);
