"""Sign-in and the idle lock: who is at the counter, and a screen that hides the petition when they leave."""
