"""The hub: pages and jobs that combine several apps (the dashboard, the household page,
retention, the audit alerts' assigned work). It sits above every domain app and owns no table."""
