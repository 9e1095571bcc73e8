import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import './assets/base.css'
import { useDocumentStore } from './stores/document'
import { useTrainingStore } from './stores/training'
import { useViewStore } from './stores/view'

const app = createApp(App).use(createPinia())
// Subscriptions to the host start here, once (CONVENTIONS: an explicit init from main.ts).
useTrainingStore().init()
useViewStore().init()
void useDocumentStore().init()
app.mount('#app')
