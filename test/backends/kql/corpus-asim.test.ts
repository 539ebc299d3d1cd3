import { corpusSuite } from './corpus-suite.js';

corpusSuite('sentinel-asim', { floor: 2273 });
