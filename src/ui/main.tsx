import { render } from 'preact';
import { Root } from './sign-in.js';
import { setTheme, storedTheme } from './theme.js';
import './styles.css';

// Before the first render: the page is drawn in its theme from the start.
setTheme(storedTheme(), false);
render(<Root />, document.getElementById('app')!);
