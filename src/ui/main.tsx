import { render } from 'preact';
import { Root } from './sign-in.js';
import './styles.css';

render(<Root />, document.getElementById('app')!);
