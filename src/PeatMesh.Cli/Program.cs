// Entry point of the peat CLI; filled in by the walking-skeleton issue.
return 0;
