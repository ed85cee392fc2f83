// The member simulator's controllers never change an object their informers hand them (the informers
// share the store's one decode of each event): this runs the member tests with every such object
// frozen deep, so a change in place throws (and fails the test) where it is made.
import { setFreezeInformerObjects } from '../apiserver/controllers/sources.js';

setFreezeInformerObjects(true);
await import('./member.test.js');
await import('./faults.test.js');
await import('./controllers/resourcequota.test.js');
