"""Application services: the use cases the app (and tests) call, tying quiz, store and scoring.

Pages stay thin: each one calls a function here with the signed-in actor and renders the result.
"""
