"""An example service: the Parcel Shipping API, implemented in memory.

It imports the generated models and implements the generated interfaces; nothing here is
generated, and regenerating never touches it.
"""
