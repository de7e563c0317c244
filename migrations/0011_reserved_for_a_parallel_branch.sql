-- Placeholder kept only so that this branch (issue 18, syndication) runs: migrations are numbered
-- without gaps, and 0011 belongs to another branch of this round. Drop this file when merging
-- (the real 0011 takes its place); it creates nothing.
SELECT 1;
