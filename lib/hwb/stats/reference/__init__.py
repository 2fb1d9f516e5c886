"""Reference data shipped with hwb (the European Standard Population 2013); see SOURCE.md."""
