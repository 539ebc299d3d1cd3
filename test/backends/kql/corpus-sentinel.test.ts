import { corpusSuite } from './corpus-suite.js';

corpusSuite('sentinel', { floor: 3322 });
