THINGS = "things"
