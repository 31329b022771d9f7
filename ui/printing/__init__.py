"""What the program prints or writes as PDF: receipts, the paper petition, the poster, the daily report."""
