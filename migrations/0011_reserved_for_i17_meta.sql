-- Placeholder: 0011 belongs to the parallel branch i17-meta (issue 17, entries say who and what).
-- This file only keeps the numbering without gaps on i17-states; drop it when merging, keeping
-- i17-meta's 0011.
SELECT 1;
