"""Sample data for ``finoos demo``: the vendor documentation's Step 4b logins."""
