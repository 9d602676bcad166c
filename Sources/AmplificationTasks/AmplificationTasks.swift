// The AmplificationTasks module; its types live in the files beside this one.
