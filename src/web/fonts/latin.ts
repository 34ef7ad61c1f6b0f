/** Noto Sans, Latin subset only (en, fr, and Latin text inside RTL pages). */
import '@fontsource/noto-sans/latin-400.css';
import '@fontsource/noto-sans/latin-600.css';
