"""Community governance: the community social security councils, their members, meetings and projects, the perception survey, the Special Support Zones."""
