import IteratedAmplification

print("amplify")
