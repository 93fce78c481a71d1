// Composition root of peat-mesh-node; filled in by the walking-skeleton issue.
return 0;
