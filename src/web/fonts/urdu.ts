/** Noto Nastaliq Urdu (Arabic-script subset) for ur, plus Noto Sans Latin for mixed text. */
import '@fontsource/noto-nastaliq-urdu/arabic-400.css';
import '@fontsource/noto-nastaliq-urdu/arabic-700.css';
import '@fontsource/noto-sans/latin-400.css';
import '@fontsource/noto-sans/latin-600.css';
