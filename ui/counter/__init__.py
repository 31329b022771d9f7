"""The clerk's counter window: the petition on screen, its attachments, the queue, accept and return."""
