// Copies the notes that travel with the run-time data (licences, SOURCE.md) from src/data to
// dist/data: tsc copies only the JSON the code imports, and the ATT&CK/D3FEND terms require the
// licence texts to ship with the data.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const walk = (dir) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (!e.name.endsWith('.json')) {
      const target = path.join(root, 'dist', path.relative(path.join(root, 'src'), p));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(p, target);
    }
  }
};
walk(path.join(root, 'src/data'));
